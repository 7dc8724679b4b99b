"""The Streamlit dashboard's sections: one function per section, data in, widgets out."""
