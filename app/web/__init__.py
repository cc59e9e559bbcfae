"""Shared web building blocks: the SVG chart builder used by the diary and the trend views."""
