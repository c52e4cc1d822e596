"""Settings modules: base (shared), local (development and demo), production, test."""
