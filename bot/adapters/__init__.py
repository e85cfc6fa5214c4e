"""Adapters: each translates a platform request into a core command and renders the reply.
No business logic lives here."""
