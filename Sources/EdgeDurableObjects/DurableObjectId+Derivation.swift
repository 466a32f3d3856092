extension DurableObjectId {
    /// The id that `idFromName(name)` gives in the namespace of class `className` of worker
    /// `workerName`, computed without a running namespace (for `edge do id`).
    package static func fromName(_ name: String, workerName: String, className: String) -> DurableObjectId {
        ActorIdFactory(uniqueKey: "\(workerName)-\(className)").idFromName(name)
    }
}
