extension InitProject {
    /// `Package.swift`: the worker's library, the executable that registers it with EdgeCLI, and
    /// its tests, on Edge's library products.
    var packageManifest: String {
        let edgePackage = edge.identity
        let dependency = switch edge {
        case .path(let path): #".package(path: "\#(path)")"#
        case .git(let url): #".package(url: "\#(url)", branch: "main")"#
        }
        return #"""
        // swift-tools-version:6.1
        import PackageDescription

        let package = Package(
            name: "\#(name)",
            platforms: [.macOS(.v15)],
            products: [
                .executable(name: "\#(name)", targets: ["\#(executableTarget)"]),
            ],
            dependencies: [
                \#(dependency),
            ],
            targets: [
                // The worker and its Durable Object. Like a Workers script, it never imports the server.
                .target(
                    name: "\#(moduleName)",
                    dependencies: [
                        .product(name: "EdgeRuntime", package: "\#(edgePackage)"),
                        .product(name: "EdgeD1", package: "\#(edgePackage)"),
                        .product(name: "EdgeDurableObjects", package: "\#(edgePackage)"),
                    ]
                ),
                // `swift run \#(name) dev`: Edge's command line with this worker registered.
                .executableTarget(
                    name: "\#(executableTarget)",
                    dependencies: ["\#(moduleName)", .product(name: "EdgeCLI", package: "\#(edgePackage)")]
                ),
                .testTarget(
                    name: "\#(moduleName)Tests",
                    dependencies: [
                        "\#(moduleName)",
                        .product(name: "EdgeTesting", package: "\#(edgePackage)"),
                        .product(name: "EdgeRuntime", package: "\#(edgePackage)"),
                        .product(name: "EdgeDurableObjects", package: "\#(edgePackage)"),
                        .product(name: "EdgeServer", package: "\#(edgePackage)"),
                        .product(name: "EdgeConfig", package: "\#(edgePackage)"),
                    ]
                ),
            ]
        )

        """#
    }
}
