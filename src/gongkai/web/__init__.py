"""The Django web application: the agency's case register in the browser and over a JSON API.

Every rule (transitions, deadlines, outcomes) comes from :mod:`gongkai.register`; this package
stores cases and events, decides who may see what (:mod:`.permissions`), and renders pages.
The core never imports it (tests/test_imports.py).
"""
