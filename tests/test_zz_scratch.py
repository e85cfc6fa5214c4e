from tests.conftest import ask_claim, build_claim_world
ARTS = {
    "a.txt": "Envoy Report\n\nMayor Orlov's visit comes amid reports that Norland has been "
             "selling arms to Germany for its war in Poland.\n",
    "b.txt": "Harbour News\n\nMayor Pardo visited Spain on Friday, weeks after reports that "
             "Norland had sold ferries to Portugal.\nThe mayor met the city council there.\n",
    "c.txt": "Ferry Weekly\n\nMayor Lindqvist opened the ferry line in Denmark on Monday.\n",
}
def test_x(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTS)
    for c in ["Mayor Orlov came to Kyiv.", "Mayor Pardo visited Italy on Friday.", "Mayor Pardo visited Spain on Friday.",
              "Mayor Lindqvist opened the ferry line in Sweden on Monday."]:
        a = ask_claim(world, c)
        print("##", c, a.verdict, [(e.stance, e.reason, e.sentence[:50]) for e in a.evidence[:2]])
