extension InitProject {
    /// The executable's `main.swift`: registers the worker module with Edge's command line, as
    /// Edge's own `edge` executable registers CounterFire.
    var mainSource: String {
        #"""
        import EdgeCLI
        import \#(moduleName)

        // `swift run \#(name) dev` serves the worker; every `edge` command works (d1, do, ...).
        await EdgeCommand.run(module: \#(workerType).module)

        """#
    }
}
