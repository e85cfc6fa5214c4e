"""Outcome states: what befell the victims of an event, however a sentence words it (the verb
of causing it, of undergoing it, the state, the noun: "killed 12 people", "12 people died",
"left 12 dead", "12 deaths"; "wounded 30", "30 were injured"). Read by the digest (counts of
victims in one state are one quantity) and by the claim lookup (a victim said to be dead is
not said to be injured). No I/O."""

from __future__ import annotations

# state -> the stems that say it
OUTCOMES: dict[str, frozenset[str]] = {
    "dead": frozenset({"kill", "die", "dead", "death", "fatal"}),  # kill, died, deaths, fatalities
    "injured": frozenset({"injur", "injuri", "wound", "hurt"}),  # injured, injuries, wounded
}
STATE_OF: dict[str, str] = {w: state for state, words in OUTCOMES.items() for w in words}
