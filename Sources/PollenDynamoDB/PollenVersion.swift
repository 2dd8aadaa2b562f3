/// Pollen's version, sent in `User-Agent` and printed by `pollen --version`.
public enum PollenVersion {
    public static let current = "0.1.0"
}
