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
    /// Lines of literal array elements by path (see `ExpandedResource.elementLines`).
    public var elementLines: [String: Int] = [:]
    /// Columns of the same elements.
    public var elementColumns: [String: Int] = [:]
    /// Where each property was written (see `ExpandedResource.propertySources`).
    public var propertySources: [String: SourceLocation] = [:]

    /// Where the element at `path` (e.g. `properties.subnets[1]`) was written, or the resource's own location.
    func location(of path: String) -> SourceLocation? {
        guard var location = source else { return nil }
        if let line = elementLines[path] {
            location.line = line
            location.column = elementColumns[path]
        }
        location.path = (location.path.map { $0 + "." } ?? "") + path
        return location
    }

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
    public var raw: RawResource {
        var r = RawResource(type: type, name: name, id: id, body: body, source: source)
        r.elementLines = elementLines
        r.elementColumns = elementColumns
        r.propertySources = propertySources
        return r
    }
}
