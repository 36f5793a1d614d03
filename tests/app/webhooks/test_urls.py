"""Safe URLs: what registration and delivery refuse, after DNS, and where the request really goes."""

import ipaddress

import pytest

from app.webhooks import urls


def _fake_dns(monkeypatch, table):
    def resolve(host, port):
        if host not in table:
            raise OSError("no such host")
        return [ipaddress.ip_address(a) for a in table[host]]

    monkeypatch.setattr(urls, "resolve", resolve)


@pytest.mark.parametrize("url, why", [
    ("http://127.0.0.1:9000/hook", "must use https"),
    ("https://127.0.0.1/hook", "loopback"),
    ("https://[::1]/hook", "loopback"),
    ("https://10.1.2.3/hook", "private"),
    ("https://192.168.0.10/hook", "private"),
    ("https://172.16.5.5/hook", "private"),
    ("https://169.254.169.254/latest/meta-data", "metadata"),
    ("https://[fd00:ec2::254]/", "metadata"),
    ("https://100.100.100.200/", "metadata"),
    ("https://169.254.10.10/", "link-local"),
    ("https://[fe80::1]/", "link-local"),
    ("https://224.0.0.1/", "multicast"),
    ("https://0.0.0.0/", "unspecified"),
    ("https://[::ffff:10.0.0.1]/", "private"),
    ("https://[64:ff9b::a00:1]/", "private"),
    ("ftp://example.com/", "https"),
    ("https://user:pw@example.com/", "user name"),
    ("https:///nohost", "no host"),
    ("https://example.com:99999/", "not a valid URL"),
])
def test_refused_without_the_loopback_setting(url, why):
    with pytest.raises(urls.UnsafeUrl, match=why):
        urls.check(url, allow_loopback=False)


def test_a_hostname_resolving_to_a_private_address_is_refused(monkeypatch):
    _fake_dns(monkeypatch, {"hooks.brand.example": ["10.0.0.7"], "mixed.example": ["93.184.216.34", "192.168.1.1"],
                            "public.example": ["93.184.216.34"]})
    with pytest.raises(urls.UnsafeUrl, match=r"hooks.brand.example \(10.0.0.7\) is a private address"):
        urls.check("https://hooks.brand.example/x", allow_loopback=True)
    # One bad answer among good ones is enough to refuse: the connection could pick either.
    with pytest.raises(urls.UnsafeUrl, match="192.168.1.1"):
        urls.check("https://mixed.example/x", allow_loopback=False)
    with pytest.raises(urls.UnsafeUrl, match="does not resolve"):
        urls.check("https://nowhere.example/x", allow_loopback=False)
    t = urls.check("https://public.example/x?y=1", allow_loopback=False)
    assert (t.request_url, t.host_header, t.sni_hostname) == ("https://93.184.216.34:443/x?y=1", "public.example",
                                                              "public.example")


def test_loopback_setting_allows_loopback_only(monkeypatch):
    _fake_dns(monkeypatch, {"localhost": ["127.0.0.1", "::1"], "lan.example": ["10.0.0.2"]})
    t = urls.check("http://127.0.0.1:8080/hook", allow_loopback=True)
    assert (t.request_url, t.host_header, t.sni_hostname) == ("http://127.0.0.1:8080/hook", "127.0.0.1:8080", None)
    assert urls.check("http://localhost:9/h", allow_loopback=True).address == ipaddress.ip_address("127.0.0.1")
    assert urls.check("https://[::1]:8443/h", allow_loopback=True).request_url == "https://[::1]:8443/h"
    for url in ("https://10.0.0.1/", "http://lan.example/", "https://169.254.169.254/"):
        with pytest.raises(urls.UnsafeUrl):
            urls.check(url, allow_loopback=True)
