import PalisadeModel

/// A resource in ARM's wire shape, from an expanded template or from an export; the importer's input.
public struct RawResource: Sendable {
    /// Full resource type.
    public var type: String
    /// Full name (`parent/child` for child resources).
    public var name: String
    /// Resource ID.
    public var id: String
    /// The whole resource object (`location`, `tags`, `sku`, `kind`, `identity`, `properties`, …).
    public var body: ARMValue
    /// Where it was declared.
    public var source: SourceLocation?

    /// Creates a raw resource.
    public init(type: String, name: String, id: String, body: ARMValue, source: SourceLocation?) {
        self.type = type
        self.name = name
        self.id = id
        self.body = body
        self.source = source
    }

    /// The `properties` object.
    var properties: ARMValue { body["properties"] ?? .object(ARMObject()) }
}

extension ExpandedResource {
    /// The importer's view of this resource.
    public var raw: RawResource { RawResource(type: type, name: name, id: id, body: body, source: source) }
}
