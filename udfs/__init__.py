"""The Excel door: xlwings UDFs (classic COM on Windows, Office.js via xlwings Server) over the engine.

Only conversion lives here: Excel ranges → DataFrames → engine → 2-D lists. See
``udfs.functions`` for the worksheet functions.
"""
