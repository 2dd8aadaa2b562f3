/// Placeholder until the console lands.
enum PollenConsolePlaceholder {}
