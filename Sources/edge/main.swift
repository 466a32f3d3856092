import CounterFire
import EdgeCLI

await EdgeCommand.run(module: CounterFireWorker.module)
