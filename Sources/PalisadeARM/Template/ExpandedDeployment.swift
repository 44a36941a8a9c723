import PalisadeModel

/// One fully evaluated resource of a template (after conditions, copy loops and nested deployments).
public struct ExpandedResource: Sendable, Hashable {
    /// The symbolic name (`languageVersion 2.0`) or nil for classic templates.
    public var symbolicName: String?
    /// The full resource type, e.g. `Microsoft.Network/virtualNetworks/subnets`.
    public var type: String
    /// The full resource name, e.g. `vnet/subnet`.
    public var name: String
    /// The resource ID it would get.
    public var id: String
    /// The evaluated resource object (type, name, apiVersion, location, properties, …); secrets redacted.
    public var body: ARMValue
    /// Where the resource is declared.
    public var source: SourceLocation
    /// The evaluated `dependsOn` entries.
    public var dependsOn: [String]
    /// Whether the resource is only referenced (`existing: true`), not deployed.
    public var existing: Bool
    /// The nested deployments that contain the resource, outermost first.
    public var deploymentPath: [String]
    /// Lines of array elements written literally in the declaration, by path (e.g. `properties.subnets[1]`),
    /// so inline child objects such as subnets point at their own line.
    public var elementLines: [String: Int] = [:]
    /// Columns of the same elements, by the same paths.
    public var elementColumns: [String: Int] = [:]
    /// Where each property was written, by ARM-form path (`sku.name`, `properties.publicNetworkAccess`); filled when
    /// `EvaluationOptions.recordPropertySources` is set.
    public var propertySources: [String: SourceLocation] = [:]

    /// The evaluated `properties` object (empty when absent).
    public var properties: ARMObject { body["properties"]?.objectValue ?? ARMObject() }
}

/// The result of expanding a template: what it really deploys, plus its outputs and any problems found.
public struct ExpandedDeployment: Sendable, Encodable {
    /// Every resource, in declaration order (nested deployments' resources follow their deployment).
    public var resources: [ExpandedResource]
    /// Evaluated outputs by name (ARM style `{name: value}`), secure outputs redacted.
    public var outputs: ARMObject
    /// Problems found while evaluating.
    public var diagnostics: Diagnostics
    /// Typed stand-ins given to parameters without a value (`--placeholders`); checks of real data skip them.
    public var placeholderStrings: Set<String> = []
    /// Outputs (of the root deployment and nested ones) whose value is built from a secret; never their values.
    public var secretOutputs: [SecretOutput] = []

    /// The deterministic JSON document `palisade expand` prints: `{"outputs": {…}, "resources": [...]}`,
    /// 2-space indented with sorted keys; each resource carries `"source": "file:line"`.
    public func renderJSON() -> String {
        let doc = ARMValue.object(ARMObject([("resources", .array(renderedResources)), ("outputs", .object(outputs))]))
        return ARMText.prettyJSON(doc) + "\n"
    }

    /// Only the outputs object, as `palisade expand --outputs` prints it.
    public func renderOutputsJSON() -> String {
        ARMText.prettyJSON(.object(outputs)) + "\n"
    }

    private enum CodingKeys: String, CodingKey { case resources, outputs }

    /// Encodes the same document `renderJSON()` prints (use `.sortedKeys` for stable output).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let doc = ExpandedDeployment.strip(.object(outputs)).jsonValue
        try container.encode(renderedResources.map { ExpandedDeployment.strip($0).jsonValue }, forKey: .resources)
        try container.encode(doc, forKey: .outputs)
    }

    /// Resources as printed: the evaluated object plus `source`, `id`, `symbolicName`, `existing`, `deploymentPath`.
    var renderedResources: [ARMValue] {
        resources.map { r in
            var o = r.body.objectValue ?? ARMObject()
            o["source"] = .string(r.source.description)
            if let s = r.symbolicName { o["symbolicName"] = .string(s) }
            o["id"] = .string(r.id)
            if r.existing { o["existing"] = .bool(true) }
            if !r.deploymentPath.isEmpty { o["deploymentPath"] = .array(r.deploymentPath.map { .string($0) }) }
            return .object(o)
        }
    }

    /// Removes internal marker keys.
    static func strip(_ v: ARMValue) -> ARMValue {
        switch v {
        case .array(let a): return .array(a.map(strip))
        case .object(let o):
            return .object(ARMObject(o.entries.filter { !$0.key.hasPrefix(ARMObject.runtimeMarker) }.map { ($0.key, strip($0.value)) }))
        default: return v
        }
    }
}

extension ARMObject {
    /// Key prefix of internal markers (e.g. "properties only Azure knows may be read from this object").
    static let runtimeMarker = "$palisade."
    static let runtimeKey = "$palisade.runtime"
}
