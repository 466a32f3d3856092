import Foundation

/// `[assets]`: static files served before (or instead of) the Worker.
///
/// ```toml
/// [assets]
/// directory = "public"   # required, relative to the config file's directory
/// binding = "ASSETS"     # optional: the assets fetcher in env
/// ```
public struct AssetsConfig: Sendable, Equatable {
    /// `directory`, resolved against the config file's directory.
    public var directory: URL

    /// `binding`: the name of the assets fetcher in `env`, if the Worker wants one.
    public var binding: String?

    /// Creates assets settings serving `directory`.
    public init(directory: URL, binding: String? = nil) {
        self.directory = directory
        self.binding = binding
    }
}
