"""Files attached to an application: checked by content, stored privately with a sha256,
served only through an access-checked route."""
