using System.Diagnostics.CodeAnalysis;

// "Static" is a Visual Basic keyword; Holdfast is C# only, and the namespace follows its folder (the house style).
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace", Target = "~N:Holdfast.Server.Static", Justification = "C# only; namespace follows the folder")]
