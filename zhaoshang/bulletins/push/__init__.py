"""Group robots: DingTalk and WeCom clients, the per-robot rate limit, and a local server for tests."""
