"""Industry chains: links upstream to downstream, local enterprises, gaps, targets, chain leaders and platforms."""

from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "zhaoshang.chains"
    label = "chains"
    verbose_name = "产业链招商"
