extension ResourceGraph {
    /// The graph with every recorded source location (resources, their properties, waivers, deployment outputs)
    /// passed through `move`: for a graph read from a temporary copy, to name the files as the user knows them.
    public func relocatingSources(_ move: (SourceLocation) -> SourceLocation) -> ResourceGraph {
        var copy = self
        for resource in resources {
            guard let source = resource.source else { continue }
            var payload = resource.payload
            payload.source = move(source)
            copy.insert(payload)
        }
        for (id, properties) in propertySources {
            copy.propertySources[id] = properties.mapValues(move)
        }
        for index in copy.waivers.indices {
            if let source = copy.waivers[index].source { copy.waivers[index].source = move(source) }
        }
        for index in copy.deploymentOutputs.indices {
            if let source = copy.deploymentOutputs[index].source { copy.deploymentOutputs[index].source = move(source) }
        }
        return copy
    }
}
