import Testing
@testable import PalisadeARM

@Suite struct JSONParserTests {
    @Test func recordsPositions() throws {
        var p = JSONParser()
        let node = try p.parse("{\n  \"a\": [1, \"x\"],\n  \"b\": {\"c\": true}\n}")
        #expect(node["a"]?.line == 2)
        #expect(node["a"]?.column == 8)
        #expect(node["B"]?["c"]?.line == 3)
    }

    @Test func reportsMalformedInput() {
        var p = JSONParser()
        #expect(throws: JSONParseError.self) { try p.parse("{\"a\": 1,}") }
        do {
            _ = try p.parse("{\n  \"a\": tru\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 8)
        }
    }

    @Test func limitsDepth() {
        var p = JSONParser(maxDepth: 50)
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try p.parse(deep) }
    }

    @Test func acceptsComments() throws {
        var p = JSONParser()
        let node = try p.parse("// c\n{ /* x */ \"a\": 1 }")
        #expect(node["a"]?.value == .int(1))
    }
}
