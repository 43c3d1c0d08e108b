"""The map's sub-feature: the bbox parameter, the grid of cells, the viewport query and the
GeoJSON feed."""
