"""The simulator's own machinery beside Alma's API: the admin API, the request journal, fault injection,
strict mode and the description of what is served (coverage and the generated OpenAPI). None of it is Alma."""
