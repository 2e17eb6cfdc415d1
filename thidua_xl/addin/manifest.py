"""The Office add-in manifest (XML, add-in only) for the THIDUA functions, and its schema check.

No copy of Microsoft's manifest XSDs can be installed from a package registry (the npm tools that
"validate" a manifest send it to an online Microsoft service), so :func:`manifest_problems` checks
the rules of those schemas ([MS-OWEMXML]: OfficeApp 1.1 TaskPaneApp, task pane VersionOverrides 1.0,
basic types) that a custom-functions manifest can break: element order, required elements, string
lengths (ShortString 1–125, LongString 1–250, resource ids ≤ 32), https URLs, GUID and version
formats, the Permissions values, and that every ``resid`` names a resource of the right kind.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

from .server import ICONS, NAMESPACE

# Fixed: Office identifies an add-in by this id (a new id = a different add-in for Excel).
ADDIN_ID = "6f1c2a57-4d1e-4c55-9f0b-7a3d2b9e0c11"

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Manifest Office.js (Excel 365 / Excel trên web) của các hàm THIDUA.* do 'thidua-xl serve' phục vụ.
     Tạo bằng lệnh 'thidua-xl officejs' cho máy chủ {base} -->
<OfficeApp xmlns="http://schemas.microsoft.com/office/appforoffice/1.1"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
           xmlns:bt="http://schemas.microsoft.com/office/officeappbasictypes/1.0"
           xmlns:ov="http://schemas.microsoft.com/office/taskpaneappversionoverrides" xsi:type="TaskPaneApp">
  <Id>{id}</Id>
  <Version>{version}</Version>
  <ProviderName>thidua_xl</ProviderName>
  <DefaultLocale>vi-VN</DefaultLocale>
  <DisplayName DefaultValue="Thi đua"/>
  <Description DefaultValue={description}/>
  <IconUrl DefaultValue="{base}{icon32}"/>
  <HighResolutionIconUrl DefaultValue="{base}{icon64}"/>
  <SupportUrl DefaultValue="{base}/"/>
  <AppDomains>
    <AppDomain>{base}</AppDomain>
  </AppDomains>
  <Hosts>
    <Host Name="Workbook"/>
  </Hosts>
  <Requirements>
    <Sets DefaultMinVersion="1.1">
      <Set Name="SharedRuntime" MinVersion="1.1"/>
    </Sets>
  </Requirements>
  <DefaultSettings>
    <SourceLocation DefaultValue="{base}/taskpane.html"/>
  </DefaultSettings>
  <Permissions>ReadWriteDocument</Permissions>
  <VersionOverrides xmlns="http://schemas.microsoft.com/office/taskpaneappversionoverrides" xsi:type="VersionOverridesV1_0">
    <Hosts>
      <Host xsi:type="Workbook">
        <Runtimes>
          <Runtime resid="Taskpane.Url" lifetime="long"/>
        </Runtimes>
        <AllFormFactors>
          <ExtensionPoint xsi:type="CustomFunctions">
            <Script>
              <SourceLocation resid="Functions.Script.Url"/>
            </Script>
            <Page>
              <SourceLocation resid="Taskpane.Url"/>
            </Page>
            <Metadata>
              <SourceLocation resid="Functions.Metadata.Url"/>
            </Metadata>
            <Namespace resid="Functions.Namespace"/>
          </ExtensionPoint>
        </AllFormFactors>
      </Host>
    </Hosts>
    <Resources>
      <bt:Urls>
        <bt:Url id="Taskpane.Url" DefaultValue="{base}/taskpane.html"/>
        <bt:Url id="Functions.Script.Url" DefaultValue="{base}/xlwings/custom-functions-code.js"/>
        <bt:Url id="Functions.Metadata.Url" DefaultValue="{base}/xlwings/custom-functions-meta.json"/>
      </bt:Urls>
      <bt:ShortStrings>
        <bt:String id="Functions.Namespace" DefaultValue="{namespace}"/>
      </bt:ShortStrings>
    </Resources>
  </VersionOverrides>
</OfficeApp>
"""

DESCRIPTION = ("Chấm điểm, xếp hạng và khen thưởng phong trào thi đua: =THIDUA.SCORE, =THIDUA.RANK, "
               "=THIDUA.DETAIL, =THIDUA.EXPLAIN, =THIDUA.AWARD, =THIDUA.CLASS, =THIDUA.PLANS")


def manifest_xml(base_url: str, version: str, namespace: str = NAMESPACE) -> str:
    """The manifest text for a server at ``base_url`` (https, no trailing slash needed)."""
    if not base_url.lower().startswith("https://"):
        raise ValueError(f"Office chỉ nạp add-in qua https: địa chỉ máy chủ phải bắt đầu bằng https:// "
                         f"(nhận được '{base_url}')")
    return MANIFEST.format(base=base_url.rstrip("/"), version=version, namespace=namespace, id=ADDIN_ID,
                           description=quoteattr(DESCRIPTION), icon32=ICONS[32], icon64=ICONS[64])


# ------------------------------------------------------------------------------------------- check
APP = "{http://schemas.microsoft.com/office/appforoffice/1.1}"
OV = "{http://schemas.microsoft.com/office/taskpaneappversionoverrides}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"

# Sequences of the schemas (OfficeApp base + TaskPaneApp extension, VersionOverrides 1.0 task pane):
# (element, required).
OFFICEAPP = [("Id", True), ("AlternateId", False), ("Version", True), ("ProviderName", True),
             ("DefaultLocale", True), ("DisplayName", True), ("Description", True), ("IconUrl", False),
             ("HighResolutionIconUrl", False), ("SupportUrl", False), ("AppDomains", False), ("Hosts", False),
             ("Requirements", False), ("DefaultSettings", True), ("Permissions", True), ("Dictionary", False),
             ("VersionOverrides", False), ("Signature", False)]
VERSION_OVERRIDES = [("Description", False), ("Requirements", False), ("Hosts", True), ("Resources", False),
                     ("WebApplicationInfo", False), ("EquivalentAddins", False)]
HOST = [("Runtimes", False), ("AllFormFactors", False), ("DesktopFormFactor", False), ("MobileFormFactor", False)]
CUSTOM_FUNCTIONS = [("Script", True), ("Page", True), ("Metadata", True), ("Namespace", False)]
RESOURCES = [("Images", False), ("Urls", False), ("ShortStrings", False), ("LongStrings", False)]
PERMISSIONS = {"Restricted", "ReadDocument", "ReadAllDocument", "WriteDocument", "ReadWriteDocument"}
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
VERSION = re.compile(r"^\d{1,5}(\.\d{1,5}){0,3}$")
LOCALE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
NAMESPACE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9.]*$")


def _local(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _sequence(parent: ET.Element, spec: list[tuple[str, bool]], where: str) -> list[str]:
    """Children of ``parent`` must follow the schema's sequence, each at most once, required ones present."""
    order = [name for name, _ in spec]
    names = [_local(child) for child in parent]
    problems = [f"{where}: phần tử lạ <{n}>" for n in names if n not in order]
    known = [n for n in names if n in order]
    if known != sorted(known, key=order.index) or len(set(known)) != len(known):
        problems.append(f"{where}: sai thứ tự hoặc lặp phần tử ({', '.join(names)}), schema yêu cầu {order}")
    problems += [f"{where}: thiếu <{n}>" for n, required in spec if required and n not in names]
    return problems


def _length(value: str | None, low: int, high: int, where: str) -> list[str]:
    if value is None or not low <= len(value) <= high:
        return [f"{where}: cần {low}–{high} ký tự (có {0 if value is None else len(value)})"]
    return []


def _https(value: str | None, where: str) -> list[str]:
    if value is None or not value.startswith("https://") or len(value) > 2048:
        return [f"{where}: URL phải là https:// và không quá 2048 ký tự ({value!r})"]
    return []


def _resources(resources: ET.Element | None) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Resource ids by kind (Images, Urls, ShortStrings, LongStrings) and the problems found in them."""
    kinds: dict[str, dict[str, str]] = {"Images": {}, "Urls": {}, "ShortStrings": {}, "LongStrings": {}}
    if resources is None:
        return kinds, []
    problems = _sequence(resources, RESOURCES, "Resources")
    limits = {"ShortStrings": 125, "LongStrings": 250}
    for group in resources:
        kind = _local(group)
        for item in group:
            rid, value = item.get("id"), item.get("DefaultValue")
            where = f"{kind}/{rid}"
            problems += _length(rid, 1, 32, f"{where} (id)")
            if any(rid in ids for ids in kinds.values()):
                problems.append(f"{where}: id lặp lại")
            kinds.setdefault(kind, {})[rid] = value
            if kind in limits:
                problems += _length(value, 1, limits[kind], where)
            else:
                problems += _https(value, where)
    return kinds, problems


def _custom_functions(point: ET.Element, kinds: dict[str, dict[str, str]]) -> list[str]:
    problems = _sequence(point, CUSTOM_FUNCTIONS, "ExtensionPoint CustomFunctions")
    for part in ("Script", "Page", "Metadata"):
        element = point.find(f"{OV}{part}/{OV}SourceLocation")
        if element is None or element.get("resid") not in kinds["Urls"]:
            problems.append(f"{part}: SourceLocation phải trỏ tới một bt:Url")
    namespace = point.find(f"{OV}Namespace")
    if namespace is not None:
        value = kinds["ShortStrings"].get(namespace.get("resid"))
        if value is None:
            problems.append("Namespace: resid phải trỏ tới một bt:String trong ShortStrings")
        elif not NAMESPACE_NAME.match(value) or len(value) > 32:
            problems.append(f"Namespace: '{value}' phải bắt đầu bằng chữ, chỉ gồm chữ, số, dấu chấm, ≤ 32 ký tự")
    return problems


def _version_overrides(vo: ET.Element) -> list[str]:
    problems = _sequence(vo, VERSION_OVERRIDES, "VersionOverrides")
    if vo.get(XSI_TYPE) != "VersionOverridesV1_0":
        problems.append("VersionOverrides: xsi:type phải là VersionOverridesV1_0")
    kinds, found = _resources(vo.find(f"{OV}Resources"))
    problems += found
    for host in vo.iterfind(f"{OV}Hosts/{OV}Host"):
        problems += _sequence(host, HOST, f"Host {host.get(XSI_TYPE)}")
        for runtime in host.iterfind(f"{OV}Runtimes/{OV}Runtime"):
            if runtime.get("resid") not in kinds["Urls"] or runtime.get("lifetime", "short") not in {"short", "long"}:
                problems.append("Runtime: resid phải trỏ tới một bt:Url, lifetime là short hoặc long")
        for point in host.iter(f"{OV}ExtensionPoint"):
            if point.get(XSI_TYPE) == "CustomFunctions":
                problems += _custom_functions(point, kinds)
    return problems


def manifest_problems(xml: str) -> list[str]:
    """What in ``xml`` breaks the add-in manifest schema rules above (empty list: none)."""
    try:
        root = ET.fromstring(xml.encode("utf-8"))
    except ET.ParseError as err:
        return [f"XML không hợp lệ: {err}"]
    if root.tag != f"{APP}OfficeApp" or root.get(XSI_TYPE) != "TaskPaneApp":
        return ["Gốc phải là <OfficeApp> (appforoffice/1.1) với xsi:type=\"TaskPaneApp\""]
    problems = _sequence(root, OFFICEAPP, "OfficeApp")

    def text(name: str) -> str:
        element = root.find(f"{APP}{name}")
        return (element.text or "").strip() if element is not None else ""

    def value(name: str) -> str | None:
        element = root.find(f"{APP}{name}")
        return element.get("DefaultValue") if element is not None else None

    if not GUID.match(text("Id")):
        problems.append(f"Id: cần một GUID ('{text('Id')}')")
    if not VERSION.match(text("Version")):
        problems.append(f"Version: cần dạng n.n.n.n ('{text('Version')}')")
    problems += _length(text("ProviderName"), 1, 125, "ProviderName")
    if not LOCALE.match(text("DefaultLocale")):
        problems.append(f"DefaultLocale: cần mã ngôn ngữ như vi-VN ('{text('DefaultLocale')}')")
    problems += _length(value("DisplayName"), 1, 125, "DisplayName")
    problems += _length(value("Description"), 1, 250, "Description")
    for name in ("IconUrl", "HighResolutionIconUrl", "SupportUrl"):
        if root.find(f"{APP}{name}") is not None:
            problems += _https(value(name), name)
    problems += [p for d in root.iterfind(f"{APP}AppDomains/{APP}AppDomain") for p in _https(d.text, "AppDomain")]
    source = root.find(f"{APP}DefaultSettings/{APP}SourceLocation")
    problems += _https(source.get("DefaultValue") if source is not None else None, "DefaultSettings/SourceLocation")
    if text("Permissions") not in PERMISSIONS:
        problems.append(f"Permissions: '{text('Permissions')}' không thuộc {sorted(PERMISSIONS)}")
    vo = root.find(f"{OV}VersionOverrides")
    if vo is not None:
        problems += _version_overrides(vo)
    return problems


def manifest_urls(xml: str) -> list[str]:
    """Every URL the manifest makes Office fetch (icons, pages, script, metadata)."""
    root = ET.fromstring(xml.encode("utf-8"))
    urls = [e.get("DefaultValue") for e in root.iter() if _local(e) in {"IconUrl", "HighResolutionIconUrl",
                                                                        "SourceLocation", "Url", "Image"}]
    return sorted({u for u in urls if u})
