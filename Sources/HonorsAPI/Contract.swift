// Written by scripts/openapi-generate.sh with the code beside it: the contract that code was generated from.
public enum Contract {
    /// SHA-256 of openapi.yaml.
    public static let sha256 = "55f1ac95400bdf0bb6eccf987144026b1243dd2c6a8c2e028bb724eb8954c791"
}
