"""Traffic figures kept in the store: hourly roll-ups per API version and app, and the
statistics `tsunagu status` and `/admin/v1/apis/{slug}/{version}/stats` compute from them."""
