using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace StorageServer.WebConsole.Hosting;

/// <summary>
/// Every console page lives under <c>/console</c>, next to the API and the git routes: a page's
/// folder route (<c>Repos/Index</c>) and its own absolute template (<c>@page "/repos/{owner}/{name}"</c>)
/// both get the prefix.
/// </summary>
internal sealed class ConsoleRoutePrefix : IPageRouteModelConvention
{
    public const string Prefix = "console";

    public void Apply(PageRouteModel model)
    {
        foreach (var selector in model.Selectors)
        {
            var template = selector.AttributeRouteModel?.Template ?? string.Empty;
            selector.AttributeRouteModel = new AttributeRouteModel(selector.AttributeRouteModel ?? new AttributeRouteModel())
            {
                Template = template.Length == 0 ? Prefix : Prefix + "/" + template.TrimStart('/'),
            };
        }
    }
}
