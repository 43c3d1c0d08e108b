"""Report photos: decoding within limits, GPS from EXIF, metadata stripped, thumbnails."""
