import Foundation
import PalisadeModel
import Testing
@testable import PalisadeTerraform

/// Each built-in function against the example on its page, https://developer.hashicorp.com/terraform/language/functions/<name>.
@Suite struct FunctionTests {
    static let documented: [(String, HCLValue)] = [
        // IP network
        (#"cidrsubnet("172.16.0.0/12", 4, 2)"#, .string("172.18.0.0/16")),
        (#"cidrsubnet("10.1.2.0/24", 4, 15)"#, .string("10.1.2.240/28")),
        (#"cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)"#, strings("10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20")),
        (#"cidrhost("10.12.112.0/20", 16)"#, .string("10.12.112.16")),
        (#"cidrhost("10.12.112.0/20", 268)"#, .string("10.12.113.12")),
        (#"cidrnetmask("172.16.0.0/12")"#, .string("255.240.0.0")),
        // Strings
        (#"join("-", ["foo", "bar", "baz"])"#, .string("foo-bar-baz")),
        (#"split(",", "foo,bar,baz")"#, strings("foo", "bar", "baz")),
        (#"replace("1 + 2 + 3", "+", "-")"#, .string("1 - 2 - 3")),
        (#"replace("hello world", "/w.*d/", "everybody")"#, .string("hello everybody")),
        (#"lower("HELLO")"#, .string("hello")),
        (#"upper("hello")"#, .string("HELLO")),
        (#"title("hello world")"#, .string("Hello World")),
        (#"substr("hello world", 1, 4)"#, .string("ello")),
        (#"format("Hello, %s!", "Ander")"#, .string("Hello, Ander!")),
        (#"format("There are %d lights", 4)"#, .string("There are 4 lights")),
        (#"formatlist("Hello, %s!", ["Valentina", "Ander", "Olivia", "Sam"])"#,
         strings("Hello, Valentina!", "Hello, Ander!", "Hello, Olivia!", "Hello, Sam!")),
        (#"trimspace("  hello\n\n")"#, .string("hello")),
        (#"trimprefix("helloworld", "hello")"#, .string("world")),
        (#"trimsuffix("helloworld", "world")"#, .string("hello")),
        (#"trim("?!hello?!", "!?")"#, .string("hello")),
        (#"chomp("hello\n")"#, .string("hello")),
        (#"strrev("hello")"#, .string("olleh")),
        (#"startswith("hello world", "hello")"#, .bool(true)),
        (#"endswith("hello world", "world")"#, .bool(true)),
        (#"regex("[a-z]+", "53453453.345345aaabbbccc23454")"#, .string("aaabbbccc")),
        (#"regexall("[a-z]+", "1234abcd5678efgh9")"#, strings("abcd", "efgh")),
        // Collections
        (#"coalesce("a", "b")"#, .string("a")),
        (#"coalesce("", "b")"#, .string("b")),
        (#"coalesce(1, 2)"#, .number(1)),
        (#"coalescelist(["a", "b"], ["c", "d"])"#, strings("a", "b")),
        (#"coalescelist([], ["c", "d"])"#, strings("c", "d")),
        (#"lookup({a="ay", b="bee"}, "a", "what?")"#, .string("ay")),
        (#"lookup({a="ay", b="bee"}, "c", "what?")"#, .string("what?")),
        (#"merge({a="b", c="d"}, {e="f", c="z"})"#, .object(["a": .string("b"), "c": .string("z"), "e": .string("f")])),
        (#"flatten([["a", "b"], [], ["c"]])"#, strings("a", "b", "c")),
        (#"flatten([[["a", "b"], []], ["c"]])"#, strings("a", "b", "c")),
        (#"toset(["a", "b", "c", "b"])"#, strings("a", "b", "c")),
        (#"zipmap(["a", "b"], [1, 2])"#, .object(["a": .number(1), "b": .number(2)])),
        (#"length([])"#, .number(0)),
        (#"length(["a", "b"])"#, .number(2)),
        (#"length({"a" = "b"})"#, .number(1)),
        (#"length("hello")"#, .number(5)),
        (#"element(["a", "b", "c"], 1)"#, .string("b")),
        (#"element(["a", "b", "c"], 3)"#, .string("a")),
        (#"concat(["a", ""], ["b", "c"])"#, strings("a", "", "b", "c")),
        (#"contains(["a", "b", "c"], "a")"#, .bool(true)),
        (#"contains(["a", "b", "c"], "d")"#, .bool(false)),
        (#"distinct(["a", "b", "a", "c", "d", "b"])"#, strings("a", "b", "c", "d")),
        (#"keys({a=1, c=2, d=3})"#, strings("a", "c", "d")),
        (#"values({a=3, c=2, d=1})"#, .list([.number(3), .number(2), .number(1)])),
        (#"range(3)"#, .list([.number(0), .number(1), .number(2)])),
        (#"range(1, 4)"#, .list([.number(1), .number(2), .number(3)])),
        (#"range(1, 8, 2)"#, .list([.number(1), .number(3), .number(5), .number(7)])),
        (#"range(4, 1)"#, .list([.number(4), .number(3), .number(2)])),
        (#"compact(["a", "", "b", "c"])"#, strings("a", "b", "c")),
        (#"reverse([1, 2, 3])"#, .list([.number(3), .number(2), .number(1)])),
        (#"slice(["a", "b", "c", "d"], 1, 3)"#, strings("b", "c")),
        (#"sort(["e", "d", "a", "x"])"#, strings("a", "d", "e", "x")),
        (#"chunklist(["a", "b", "c", "d", "e"], 2)"#, .list([strings("a", "b"), strings("c", "d"), strings("e")])),
        (#"index(["a", "b", "c"], "b")"#, .number(1)),
        (#"one([])"#, .null),
        (#"one(["hello"])"#, .string("hello")),
        (#"alltrue(["true", true])"#, .bool(true)),
        (#"anytrue([true, false])"#, .bool(true)),
        (#"setintersection(["a", "b"], ["b", "c"], ["b", "d"])"#, strings("b")),
        (#"setsubtract(["a", "b", "c"], ["a", "c"])"#, strings("b")),
        (#"sum([10, 13, 6, 4.5])"#, .number(33.5)),
        // Numeric
        (#"max(12, 54, 3)"#, .number(54)),
        (#"min(12, 54, 3)"#, .number(3)),
        (#"abs(-12.4)"#, .number(12.4)),
        (#"ceil(5.1)"#, .number(6)),
        (#"floor(4.9)"#, .number(4)),
        (#"pow(3, 2)"#, .number(9)),
        (#"signum(-13)"#, .number(-1)),
        (#"parseint("100", 10)"#, .number(100)),
        (#"parseint("FF", 16)"#, .number(255)),
        // Encoding and type conversion
        (#"base64encode("Hello World")"#, .string("SGVsbG8gV29ybGQ=")),
        (#"base64decode("SGVsbG8gV29ybGQ=")"#, .string("Hello World")),
        (#"jsonencode({"hello"="world"})"#, .string(#"{"hello":"world"}"#)),
        (#"jsondecode("{\"hello\": \"world\"}")"#, .object(["hello": .string("world")])),
        (#"jsondecode("true")"#, .bool(true)),
        (#"urlencode("Hello World!")"#, .string("Hello+World%21")),
        (#"tonumber("1")"#, .number(1)),
        (#"tostring(1)"#, .string("1")),
        (#"tobool("true")"#, .bool(true)),
        (#"md5("hello world")"#, .string("5eb63bbbe01eeed093cb22bb8f5acdc3")),
        (#"sha1("hello world")"#, .string("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")),
        (#"sha256("hello world")"#, .string("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")),
        // More documented examples, one page each.
        (#"log(50, 10)"#, .number(1.6989700043360185)),
        (#"log(16, 2)"#, .number(4)),
        (#"ceil(log(15, 2))"#, .number(4)),
        (#"ceil(log(17, 2))"#, .number(5)),
        (#"indent(2, "[\n  foo,\n  bar,\n]\n")"#, .string("[\n    foo,\n    bar,\n  ]\n")),
        (#""  items: ${indent(2, "[\n  foo,\n  bar,\n]\n")}""#, .string("  items: [\n    foo,\n    bar,\n  ]\n")),
        (#"strcontains("hello world", "wor")"#, .bool(true)),
        (#"strcontains("hello world", "wod")"#, .bool(false)),
        (#"transpose({"a" = ["1", "2"], "b" = ["2", "3"]})"#,
         .object(["1": strings("a"), "2": strings("a", "b"), "3": strings("b")])),
        (#"setproduct(["development", "staging", "production"], ["app1", "app2"])"#, .list([
            strings("development", "app1"), strings("development", "app2"), strings("staging", "app1"),
            strings("staging", "app2"), strings("production", "app1"), strings("production", "app2"),
        ])),
        (#"setproduct(["development", "staging", "production"], [])"#, .list([])),
        (#"setproduct(["a"], ["b"])"#, .list([strings("a", "b")])),
        (#"sort(setunion(["a", "b"], ["b", "c"], ["d"]))"#, strings("a", "b", "c", "d")),
        (#"tolist(["a", "b", "c"])"#, strings("a", "b", "c")),
        (#"tolist(["a", "b", 3])"#, strings("a", "b", "3")),
        (#"tomap({"a" = 1, "b" = 2})"#, .object(["a": .number(1), "b": .number(2)])),
        (#"tomap({"a" = "foo", "b" = true})"#, .object(["a": .string("foo"), "b": .string("true")])),
        (#"nonsensitive(sensitive("hello"))"#, .string("hello")),
        (#"sha512("hello world")"#, .string("309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f")),
        (#"base64sha256("hello world")"#, .string("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")),
        (#"basename("foo/bar/baz.txt")"#, .string("baz.txt")),
        (#"dirname("foo/bar/baz.txt")"#, .string("foo/bar")),
        (#"formatlist("%s, %s!", "Salutations", ["Valentina", "Ander", "Olivia", "Sam"])"#,
         strings("Salutations, Valentina!", "Salutations, Ander!", "Salutations, Olivia!", "Salutations, Sam!")),
        (#"join(", ", ["foo"])"#, .string("foo")),
        (#"split(",", "foo")"#, strings("foo")),
        (#"split(",", "")"#, strings("")),
        (#"substr("🤔🤷", 0, 1)"#, .string("🤔")),
        (#"substr("hello world", -5, -1)"#, .string("world")),
        (#"lower("АЛЛО!")"#, .string("алло!")),
        (#"upper("алло!")"#, .string("АЛЛО!")),
        (#"length("👾🕹️")"#, .number(2)),
        (#"regex("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01")"#, strings("2019", "02", "01")),
        (#"regex("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", "https://terraform.io/docs/")"#,
         .object(["authority": .string("terraform.io"), "scheme": .string("https")])),
        (#"length(regexall("[a-z]+", "1234abcd5678efgh9"))"#, .number(2)),
        (#"startswith("hello world", "world")"#, .bool(false)),
        (#"endswith("hello world", "hello")"#, .bool(false)),
        (#"urlencode("foo:bar@localhost?foo=bar&bar=baz")"#, .string("foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz")),
        (#"urlencode("☃")"#, .string("%E2%98%83")),
        (#"parseint("-10", 10)"#, .number(-10)),
        (#"parseint("1011111011101111", 2)"#, .number(48879)),
        (#"parseint("aA", 62)"#, .number(656)),
        (#"parseint("-10", 16)"#, .number(-16)),
        (#"can(parseint("12", 2))"#, .bool(false)),
        (#"max([12, 54, 3]...)"#, .number(54)),
        (#"min([12, 54, 3]...)"#, .number(3)),
        (#"floor(5)"#, .number(5)),
        (#"ceil(5)"#, .number(5)),
        (#"signum(0)"#, .number(0)),
        (#"signum(344)"#, .number(1)),
        (#"pow(4, 0)"#, .number(1)),
        (#"abs(23)"#, .number(23)),
        (#"abs(0)"#, .number(0)),
        (#"merge([{a="b", c="d"}, {}, {e="f", c="z"}]...)"#, .object(["a": .string("b"), "c": .string("z"), "e": .string("f")])),
        (#"coalesce(["", "b"]...)"#, .string("b")),
        (#"one(toset([]))"#, .null),
        (#"alltrue([true, false])"#, .bool(false)),
        (#"alltrue([])"#, .bool(true)),
        (#"anytrue([])"#, .bool(false)),
        (#"tostring("hello")"#, .string("hello")),
        (#"tostring(true)"#, .string("true")),
        (#"tobool(false)"#, .bool(false)),
        (#"tonumber(1)"#, .number(1)),
        (#"jsonencode(["a", 1, true, null])"#, .string(#"["a",1,true,null]"#)),
        (#"trim("foobar", "far")"#, .string("oob")),
        (#"trim("   hello! world.!  ", "! ")"#, .string("hello! world.")),
        (#"chomp("hello\r\n")"#, .string("hello")),
        (#"chomp("hello\n\n")"#, .string("hello")),
        (#"title("hello world")"#, .string("Hello World")),
        (#"format("%-5s|", "a")"#, .string("a    |")),
        (#"format("%05.2f", 3.14159)"#, .string("03.14")),
        (#"format("%q", "hello")"#, .string("\"hello\"")),
        (#"element(["a", "b", "c"], length(["a", "b", "c"])-1)"#, .string("c")),
        (#"index(["a", "b", "c"], "c")"#, .number(2)),
        (#"lookup({a="ay", b="bee"}, "b", "what?")"#, .string("bee")),
        (#"compact(["a", "", "b", null, "c"])"#, strings("a", "b", "c")),
        (#"concat(["a", ""], ["b", "c"], [])"#, strings("a", "", "b", "c")),
        (#"reverse(["a"])"#, strings("a")),
        (#"sort(["10", "9", "b", "a"])"#, strings("10", "9", "a", "b")),
        (#"chunklist(["a", "b", "c", "d", "e"], 1)"#, .list([strings("a"), strings("b"), strings("c"), strings("d"), strings("e")])),
        (#"zipmap(["a", "b"], [{x = 1}, {x = 2}])"#, .object(["a": .object(["x": .number(1)]), "b": .object(["x": .number(2)])])),
        // try and can
        (#"try(jsondecode("{"), "fallback")"#, .string("fallback")),
        (#"can(regex("^[a-z]+$", "abc"))"#, .bool(true)),
        (#"can(regex("^[a-z]+$", "ABC"))"#, .bool(false)),
    ]

    /// Functions the table cannot show as one expression: files (read below from a temporary directory) and the
    /// values Terraform only knows when it runs (read as unknown).
    static let testedElsewhere: Set<String> = ["file", "fileexists", "templatefile", "abspath", "filebase64", "type", "uuid",
                                                "timestamp", "uuidv5", "formatdate", "plantimestamp", "base64gzip"]

    @Test func everyEvaluatedFunctionHasADocumentedExample() {
        let called = Set(Self.documented.flatMap { text, _ in
            TerraformFunctions.names.filter { text.contains($0 + "(") }
        })
        let missing = TerraformFunctions.names.subtracting(called).subtracting(Self.testedElsewhere)
        #expect(missing.isEmpty, "no documented example for: \(missing.sorted())")
    }

    /// https://developer.hashicorp.com/terraform/language/functions/file, …/filebase64, …/fileexists, …/templatefile
    /// (the backends.tftpl example).
    @Test func fileFunctionsReadTheModuleDirectory() throws {
        let workspace = try Workspace([
            "hello.txt": "Hello World",
            "backends.tftpl": "%{ for addr in ip_addrs ~}\nbackend ${addr}:${port}\n%{ endfor ~}\n",
            "main.tf": """
            output "file" { value = file("${path.module}/hello.txt") }
            output "base64" { value = filebase64("${path.module}/hello.txt") }
            output "exists" { value = [fileexists("${path.module}/hello.txt"), fileexists("${path.module}/nope.txt")] }
            output "template" { value = templatefile("${path.module}/backends.tftpl", { port = 8080, ip_addrs = ["10.0.0.1", "10.0.0.2"] }) }
            resource "azurerm_resource_group" "rg" {
              name     = file("${path.module}/hello.txt")
              location = "westeurope"
              tags = {
                base64   = filebase64("${path.module}/hello.txt")
                exists   = jsonencode([fileexists("${path.module}/hello.txt"), fileexists("${path.module}/nope.txt")])
                template = templatefile("${path.module}/backends.tftpl", { port = 8080, ip_addrs = ["10.0.0.1", "10.0.0.2"] })
                uuid     = can(uuid())
              }
            }
            """,
        ])
        let result = workspace.read()
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.items)")
        let group = try #require(result.graph.all(ResourceGroup.self).first)
        #expect(group.name == "Hello World")
        #expect(group.tags["base64"] == "SGVsbG8gV29ybGQ=")
        #expect(group.tags["exists"] == "[true,false]")
        #expect(group.tags["template"] == "backend 10.0.0.1:8080\nbackend 10.0.0.2:8080\n")
    }

    /// uuid(), timestamp() and friends are only known when Terraform runs: unknown, never a made-up value.
    @Test func valuesKnownOnlyWhenTerraformRunsAreUnknown() throws {
        for text in ["uuid()", "timestamp()", "plantimestamp()", #"formatdate("YYYY", timestamp())"#, #"uuidv5("dns", "x")"#] {
            guard case .unknown = try evaluate(text) else {
                Issue.record("\(text) is not unknown")
                continue
            }
        }
    }

    /// Offsets outside the string, as go-cty's Substr (Terraform's implementation) treats them: from the start, or "".
    @Test func substrOffsetsOutsideTheString() throws {
        #expect(try evaluate(#"substr("abc", -20, -1)"#) == .string("abc"))
        #expect(try evaluate(#"substr("abc", 5, 2)"#) == .string(""))
    }

    @Test(arguments: documented.indices)
    func documentedExample(_ index: Int) throws {
        let (text, expected) = Self.documented[index]
        #expect(try evaluate(text) == expected, "\(text)")
    }

    @Test func unknownFunctionIsAnErrorWithItsLocation() {
        #expect {
            _ = try evaluate("notafunction(1)")
        } throws: { error in
            guard let error = error as? EvalError else { return false }
            return error.message.contains("unknown function 'notafunction'") && error.position?.line == 1 && error.position?.column == 1
        }
    }

    @Test func operatorsConditionalsAndForExpressions() throws {
        #expect(try evaluate("1 + 2 * 3") == .number(7))
        #expect(try evaluate("(1 + 2) * 3") == .number(9))
        #expect(try evaluate(#"true && !false ? "yes" : "no""#) == .string("yes"))
        #expect(try evaluate("[for s in [\"a\", \"b\"] : upper(s)]") == strings("A", "B"))
        #expect(try evaluate("{for k, v in {a = 1, b = 2} : v => k if v > 1}") == .object(["2": .string("b")]))
        #expect(try evaluate("{for s in [\"a\", \"b\", \"a\"] : s => s...}") == .object(["a": strings("a", "a"), "b": strings("b")]))
        #expect(try evaluate("[{a = 1}, {a = 2}][*].a") == .list([.number(1), .number(2)]))
        #expect(try evaluate(#""%{ for x in ["a", "b"] }${x},%{ endfor }""#) == .string("a,b,"))
        #expect(try evaluate(#""%{ if 1 > 2 }yes%{ else }no%{ endif }""#) == .string("no"))
        #expect(try evaluate("<<-EOT\n    hello\n      world\n    EOT\n") == .string("hello\n  world\n"))
    }
}
