"""zhaoshang (招商): the foreign-investment attraction desk of a city commerce bureau."""

__version__ = "0.1.0"
