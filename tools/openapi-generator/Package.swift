// swift-tools-version:6.0
import PackageDescription
// swift-openapi-generator, built on its own for scripts/openapi-generate.sh (not part of the app).
let package = Package(
    name: "OpenAPIGenerator",
    dependencies: [.package(url: "https://github.com/apple/swift-openapi-generator.git", exact: "1.14.3")],
    targets: []
)
