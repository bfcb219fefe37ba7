// Written by scripts/openapi-generate.sh with the code beside it: the contract that code was generated from.
public enum Contract {
    /// SHA-256 of openapi.yaml.
    public static let sha256 = "2a02725818fe1d17427f96a43dd909c688fbf16575c5df341b1f1cbb0c57ff74"
}
