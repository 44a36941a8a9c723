/// A declared resource (top level or nested in its parent's body).
final class ResourceSymbol {
    /// The symbolic name as the compiler emits it (`parent::child` for nested resources).
    let symbolicName: String
    /// The full resource type, e.g. `Microsoft.Network/virtualNetworks/subnets`.
    var type: String
    var apiVersion: String
    let existing: Bool
    /// The object body (after `if`/`for` are peeled off).
    let body: [ObjectItem]
    let bodyPosition: BicepPosition
    let condition: Expr?
    let loop: ForLoop?
    /// The enclosing resource when declared nested (or named with `parent:`).
    var parent: ResourceSymbol?
    /// Index expression for a looped `parent: x[i]`.
    var parentIndex: Expr?
    let decorators: [Decorator]
    let position: BicepPosition

    init(symbolicName: String, type: String, apiVersion: String, existing: Bool, body: [ObjectItem], bodyPosition: BicepPosition,
         condition: Expr?, loop: ForLoop?, decorators: [Decorator], position: BicepPosition) {
        self.symbolicName = symbolicName
        self.type = type
        self.apiVersion = apiVersion
        self.existing = existing
        self.body = body
        self.bodyPosition = bodyPosition
        self.condition = condition
        self.loop = loop
        self.decorators = decorators
        self.position = position
    }

    /// The value of a body property.
    func property(_ name: String) -> Expr? {
        for item in body { if case .property(let k, let v, _) = item, k == name { return v } }
        return nil
    }
}

/// A declared module.
final class ModuleSymbol {
    let symbolicName: String
    let path: String
    let body: [ObjectItem]
    let bodyPosition: BicepPosition
    let condition: Expr?
    let loop: ForLoop?
    let decorators: [Decorator]
    let position: BicepPosition

    init(symbolicName: String, path: String, body: [ObjectItem], bodyPosition: BicepPosition, condition: Expr?, loop: ForLoop?,
         decorators: [Decorator], position: BicepPosition) {
        self.symbolicName = symbolicName
        self.path = path
        self.body = body
        self.bodyPosition = bodyPosition
        self.condition = condition
        self.loop = loop
        self.decorators = decorators
        self.position = position
    }

    func property(_ name: String) -> Expr? {
        for item in body { if case .property(let k, let v, _) = item, k == name { return v } }
        return nil
    }
}

/// Peels `if (c) {…}` and `[for …: if (c) {…}]` off a declaration body.
func declarationParts(_ body: Expr) -> (items: [ObjectItem], position: BicepPosition, condition: Expr?, loop: ForLoop?)? {
    switch body {
    case .object(let items, let p): return (items, p, nil, nil)
    case .conditional(let c, let inner, _):
        guard case .object(let items, let p) = inner else { return nil }
        return (items, p, c, nil)
    case .forLoop(let loop):
        guard case .object(let items, let p) = loop.body else { return nil }
        return (items, p, nil, loop)
    default: return nil
    }
}
