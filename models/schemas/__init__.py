"""Pydantic schemas, one module per domain (``need``, ``talent``, ``site``, ``match`` …),
kept apart from the tables: ``XCreate`` for what a client sends to make one, ``XUpdate``
for a partial change, ``XRead`` for what it gets back.

Some older names break that pattern and stay because the API document names its
components after the classes, and the document must not change: ``LoginIn``,
``TokenOut``, ``MeOut`` (auth), ``ProposeIn``, ``DecisionIn``, ``DeclineSuggestionIn``
(match), ``WindowIn`` (talent), ``SiteDetail``, ``SiteContact``, ``TalentContact``. The
``…Fields`` and ``SiteBase`` classes are shared bases, never sent on their own."""
