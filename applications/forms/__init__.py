"""Forms as data: a JSON Schema 2020-12 for the answers and a UI document; merging a bundle's
forms (shared questions once) and validating answers with localized field errors."""
