"""The investigator's workbench: a browser app over the same API, sharing rules and audit."""
