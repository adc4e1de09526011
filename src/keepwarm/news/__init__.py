"""News: texts and feeds read for mentions of your people (over :mod:`keepwarm.core.mentions` and
:mod:`keepwarm.store.news`)."""
