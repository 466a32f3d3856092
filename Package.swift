// swift-tools-version:6.1
import Foundation
import PackageDescription

let package = Package(
    name: "edge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "edge", targets: ["edge"]),
        .executable(name: "edge-bench", targets: ["edge-bench"]),
        .library(name: "EdgeRuntime", targets: ["EdgeRuntime"]),
        .library(name: "EdgeD1", targets: ["EdgeD1"]),
        .library(name: "EdgeDurableObjects", targets: ["EdgeDurableObjects"]),
        .library(name: "EdgeConfig", targets: ["EdgeConfig"]),
        .library(name: "EdgeServer", targets: ["EdgeServer"]),
        .library(name: "EdgeTesting", targets: ["EdgeTesting"]),
        .library(name: "EdgeCLI", targets: ["EdgeCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Only for the SQLite it vendors (3.54.1, module VaporCSQLite, symbols prefixed
        // sqlite_nio_): Edge's own layer (EdgeSQLite) sits on that C module, so the process holds
        // one SQLite and it is at least production's (see Sources/EdgeSQLite/README.md).
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
    ],
    targets: [
        // The one C function Swift cannot call itself: sqlite3_db_config is variadic.
        .target(
            name: "CSQLite",
            dependencies: [.product(name: "SQLiteNIO", package: "sqlite-nio")]),
        // A thin, careful Swift layer over SQLite shared by D1 and Durable Object storage.
        .target(
            name: "EdgeSQLite",
            dependencies: ["CSQLite", .product(name: "SQLiteNIO", package: "sqlite-nio")]),
        // Workers API types: no I/O.
        .target(
            name: "EdgeRuntime",
            dependencies: [
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "EdgeD1",
            dependencies: ["EdgeRuntime", "EdgeSQLite", .product(name: "DequeModule", package: "swift-collections")]),
        // The Cache API's storage (`caches`): one SQLite file per cache under the state directory.
        .target(
            name: "EdgeCache",
            dependencies: ["EdgeRuntime", "EdgeSQLite", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "EdgeDurableObjects",
            dependencies: [
                "EdgeRuntime", "EdgeSQLite", "EdgeCache",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "EdgeConfig",
            dependencies: ["EdgeRuntime", .product(name: "TOMLKit", package: "TOMLKit")]),
        .target(
            name: "EdgeServer",
            dependencies: [
                "EdgeRuntime", "EdgeConfig", "EdgeD1", "EdgeDurableObjects", "EdgeCache",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // TLS for outbound WebSockets to https:/wss: (AsyncHTTPClient uses it for fetch).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "EdgeTesting",
            dependencies: [
                "EdgeServer", "EdgeRuntime", "EdgeDurableObjects", "EdgeD1", "EdgeConfig",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .target(
            name: "EdgeCLI",
            dependencies: [
                "EdgeServer", "EdgeConfig", "EdgeD1", "EdgeDurableObjects", "EdgeRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CounterFire",
            dependencies: [
                "EdgeRuntime", "EdgeD1", "EdgeDurableObjects",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(name: "edge", dependencies: ["EdgeCLI", "CounterFire"]),
        // Release-mode benchmarks: every figure beside a baseline measured in the same run.
        .executableTarget(
            name: "edge-bench",
            dependencies: [
                "EdgeServer", "EdgeRuntime", "EdgeD1", "EdgeDurableObjects", "CounterFire", "EdgeConfig",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),  // VaporCSQLite: the raw SQLite baseline of figure 2
                .product(name: "Hummingbird", package: "hummingbird"),  // the bare server of figure 1
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // examples/two-workers: two workers in one process (a service binding, RPC, a Durable
        // Object of the other worker), built and tested with everything else.
        .target(name: "TwoWorkersAPI", dependencies: ["EdgeRuntime", "EdgeD1", "EdgeDurableObjects"], path: "examples/two-workers/Sources/TwoWorkersAPI"),
        .target(name: "TwoWorkersWeb", dependencies: ["TwoWorkersAPI", "EdgeRuntime", "EdgeDurableObjects"], path: "examples/two-workers/Sources/TwoWorkersWeb"),
        .executableTarget(name: "two-workers", dependencies: ["EdgeCLI", "TwoWorkersAPI", "TwoWorkersWeb"], path: "examples/two-workers/Sources/two-workers"),
        .testTarget(
            name: "TwoWorkersTests",
            dependencies: ["TwoWorkersAPI", "TwoWorkersWeb", "EdgeTesting", "EdgeServer", "EdgeConfig", "two-workers"],
            path: "examples/two-workers/Tests/TwoWorkersTests"),

        .testTarget(
            name: "EdgeRuntimeTests",
            dependencies: [
                "EdgeRuntime",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        // Crash safety, bad input (property-based fuzzing), slow consumers, limits, security.
        .testTarget(
            name: "ReliabilityTests",
            dependencies: [
                "CounterFire", "EdgeTesting", "EdgeServer", "EdgeConfig", "EdgeD1", "EdgeDurableObjects", "EdgeRuntime",
                "edge",  // run as a process
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "EdgeConfigTests", dependencies: ["EdgeConfig"]),
        .testTarget(name: "EdgeD1Tests", dependencies: ["EdgeD1", "EdgeSQLite"]),
        .testTarget(name: "EdgeCacheTests", dependencies: ["EdgeCache", "EdgeRuntime"]),
        .testTarget(
            name: "EdgeDurableObjectsTests",
            dependencies: ["EdgeDurableObjects", "EdgeRuntime", "EdgeTesting", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "EdgeServerTests",
            dependencies: [
                "EdgeServer", "EdgeTesting", "EdgeRuntime", "EdgeConfig", "EdgeD1", "EdgeDurableObjects",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "EdgeCLITests",
            dependencies: [
                "EdgeCLI", "EdgeDurableObjects", "EdgeRuntime", "EdgeServer",
                "edge",  // run as a process
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "CounterFireTests",
            dependencies: [
                "CounterFire", "EdgeTesting", "EdgeRuntime", "EdgeConfig", "EdgeDurableObjects", "EdgeServer", "EdgeD1",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

// Each library module keeps a short README.md beside its sources; excluded where there is one (an
// exclude naming a missing file warns).
for target in package.targets where target.type == .regular {
    let readme = "\(Context.packageDirectory)/\(target.path ?? "Sources/\(target.name)")/README.md"
    if FileManager.default.fileExists(atPath: readme) { target.exclude = ["README.md"] }
}
