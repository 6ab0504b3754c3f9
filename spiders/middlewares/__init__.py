"""Downloader middlewares: replay from / record to WARC archives."""
