"""almasim's executable specifications: Gherkin features read by acquisitions librarians (see GLOSSARY.md)."""
