"""LeadHarvest's Scrapy side: spiders per collection method, page objects, middlewares."""
