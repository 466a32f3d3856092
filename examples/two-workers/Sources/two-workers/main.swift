import EdgeCLI
import TwoWorkersAPI
import TwoWorkersWeb

// Registers both workers by their config's `name`; `dev -c web/... -c api/...` runs them together.
await EdgeCommand.run(modules: ["web": WebWorker.module, "api": ApiWorker.module])
