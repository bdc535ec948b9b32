"""Exchange formats: tables (CSV, XLSX, Parquet, JSONL)."""
