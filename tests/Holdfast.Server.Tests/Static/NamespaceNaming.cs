using System.Diagnostics.CodeAnalysis;

// "Static" is a Visual Basic keyword; the namespace mirrors src/Holdfast.Server/Static (the house style).
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace", Target = "~N:Holdfast.Server.Tests.Static", Justification = "C# only; namespace follows the folder")]
