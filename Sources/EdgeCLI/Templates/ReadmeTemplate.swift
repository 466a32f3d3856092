extension InitProject {
    /// The package's README: its two commands and where things are.
    var readme: String {
        #"""
        # \#(name)

        A worker on [Edge](\#(InitProject.edgeRepositoryURL)), the local runtime for Cloudflare-style
        Workers, D1 and Durable Objects, made by `edge init`.

        ## The two commands

        Run it (builds on first use, applies the D1 migrations, serves on http://127.0.0.1:8787):

        ```sh
        swift run \#(name) dev
        ```

        Run its tests:

        ```sh
        swift test
        ```

        ## What is where

        | path | what it is |
        |---|---|
        | `Sources/\#(moduleName)/\#(workerType).swift` | the worker (`export default { fetch }`), its `Env`, and `\#(workerType).module`, which lists its Durable Object classes |
        | `Sources/\#(moduleName)/Room.swift` | the `Room` Durable Object: hibernatable WebSockets, SQL storage, an alarm |
        | `Sources/\#(executableTarget)/main.swift` | the executable (`\#(name)`): registers the module with Edge's command line, `await EdgeCommand.run(module: \#(workerType).module)` |
        | `wrangler-like.toml` | the configuration, wrangler.toml's fields: bindings, Durable Object migrations, assets |
        | `migrations/` | D1 migrations (`swift run \#(name) d1 migrations create DB "add x"` makes the next one) |
        | `public/` | static assets, served before the worker runs |
        | `Tests/\#(moduleName)Tests/` | tests on `Emulator.test`, in-process and over a real socket, with forced eviction and a virtual clock |

        A new Durable Object class goes in three places: its binding in `wrangler-like.toml` (and a
        `[[migrations]]` entry), its property in `Env`, and the `durableObjects:` list of `module`.
        Every `edge` command is there too: `swift run \#(name) --help`.

        """#
    }
}
