extension DevCommand {
    /// `--chaos` without a value is the default profile: argument parsers have no option with an
    /// optional value, so a bare `--chaos` is read as `--chaos=default` before parsing (a spec is
    /// always written `--chaos=SPEC`).
    static func expandingChaos(_ arguments: [String]) -> [String] {
        guard arguments.first == "dev" else { return arguments }
        return arguments.map { $0 == "--chaos" ? "--chaos=default" : $0 }
    }
}
