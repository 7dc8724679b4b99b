"""Plotly figure builders for the dashboard (no Streamlit): plain functions, tested on data."""
