"""recognise(url): the parser is chosen by parsed host and path, never by a substring of the URL."""

import pytest

from auctions.scraping.houses import UnknownHouse, recognise


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://www.biddr.com/auctions/savoca/browse?a=6341&l=7813191", "biddr"),
        ("https://www.biddr.com/thecoincabinet/auction?a=7356&l=8994006", "biddr"),
        ("https://www.biddr.com/cgb/auction?a=7305", "biddr"),
        ("https://www.numisbids.com/n.php?p=lot&sid=4242&lot=121", "numisbids"),
        ("https://www.numisbids.com/n.php?p=sale&sid=4242", "numisbids"),
        ("https://www.numisbids.com/sale/10900/lot/2", "numisbids"),
        (
            "https://www.sixbid.com/en/heritage-auctions-inc/13977/argentina-la-rioja/12399926-la-rioja",
            "sixbid",
        ),
        ("https://auctions.cngcoins.com/lots/view/4-I2GSGD/augustus-ar-denarius", "cng"),
        ("https://www.cngcoins.com/Coin.aspx?CoinID=60511", "cng"),
        ("https://cngcoins.com/Coin.aspx?CoinID=65943", "cng"),
        ("https://coins.ha.com/itm/ancients/roman-imperial/augustus/a/232539-64039.s", "heritage"),
        ("https://www.ebay.com/itm/397040880671", "ebay"),
        ("https://www.ebay.de/itm/some-title/397040880671", "ebay"),
        ("https://agoraauctions.com/listing/viewdetail/60751/0/archive", "agora"),
        ("https://www.vcoins.com/en/stores/some_dealer/1/product/nero/123/Default.aspx", "generic"),
    ],
)
def test_known_urls_go_to_their_parser(url, platform):
    assert recognise(url).platform == platform


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/?x=cngcoins.com",  # the name in the query string
        "https://evil.example/cngcoins.com/Coin.aspx?CoinID=1",  # in the path
        "https://cngcoins.com.evil.example/Coin.aspx?CoinID=1",  # as a prefix of another host
        "https://notcngcoins.com/Coin.aspx?CoinID=1",  # as a suffix of another name
        "https://evil.example/itm/397040880671?ref=www.ebay.com",
        "https://www.biddr.com.evil.example/savoca/auction?a=1&l=2",
        "https://www.cngcoins.com/Default.aspx",  # right host, not a lot page
        "https://www.numisbids.com/n.php?p=home",
    ],
)
def test_lookalike_urls_are_not_taken_for_a_house(url):
    assert recognise(url).platform == "generic"


@pytest.mark.parametrize(
    "url", ["ftp://www.cngcoins.com/Coin.aspx?CoinID=1", "file:///tmp/lot.html", "lot.html", ""]
)
def test_non_http_urls_are_unknown(url):
    with pytest.raises(UnknownHouse):
        recognise(url)


def test_listing_urls_are_told_from_lot_urls():
    assert recognise("https://www.biddr.com/cgb/auction?a=7305").is_listing(
        "https://www.biddr.com/cgb/auction?a=7305"
    )
    lot = "https://www.biddr.com/cgb/auction?a=7305&l=8927339"
    assert not recognise(lot).is_listing(lot)
    sale = "https://www.numisbids.com/sale/10900"
    assert recognise(sale).is_listing(sale)
