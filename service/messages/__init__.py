"""The words of each area of the product, zh-CN and English; service/i18n.py gathers them
into one table."""
