"""Ingest: from files (PDF, TXT, MD, HTML) to clean text with a page map, and whole corpus
folders.
"""
