// Written by scripts/openapi-generate.sh with the code beside it: the contract that code was generated from.
public enum Contract {
    /// SHA-256 of openapi.yaml.
    public static let sha256 = "fa0512361a65b964399799bdf4989027ea163125e88dd170a8e643989d7abb77"
}
