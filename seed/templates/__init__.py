"""Import templates (CSV and XLSX) and the script that writes the workbooks."""
