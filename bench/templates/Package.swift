// swift-tools-version:6.0
// The page templates of Honors rendered by Leaf (what the app uses), swift-mustache, Plot and plain Swift, side
// by side on the same data: `swift run -c release --package-path bench/templates TemplateBench`.
import PackageDescription

let package = Package(
    name: "TemplateBench",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
    ],
    targets: [
        .executableTarget(name: "TemplateBench", dependencies: [
            .product(name: "LeafKit", package: "leaf-kit"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Plot", package: "Plot"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
